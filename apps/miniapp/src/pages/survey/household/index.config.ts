export default definePageConfig({
  navigationBarTitleText: '户详情',
});
