export default definePageConfig({
  navigationBarTitleText: '就业桥 · 找工作',
  enablePullDownRefresh: false,
});
