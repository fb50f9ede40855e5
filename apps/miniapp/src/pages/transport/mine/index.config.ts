export default definePageConfig({
  navigationBarTitleText: '我的乘车',
});
