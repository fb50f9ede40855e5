export default definePageConfig({
  navigationBarTitleText: '绑定本人信息',
});
