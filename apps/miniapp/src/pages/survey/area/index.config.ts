export default definePageConfig({
  navigationBarTitleText: '我的片区',
});
