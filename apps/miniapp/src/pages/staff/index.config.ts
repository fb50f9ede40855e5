export default definePageConfig({
  navigationBarTitleText: '就业桥 · 工作台',
});
