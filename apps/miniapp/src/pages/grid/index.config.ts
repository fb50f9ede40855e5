export default definePageConfig({
  navigationBarTitleText: '就业桥 · 网格长',
});
