export default definePageConfig({
  navigationBarTitleText: '就业桥 · 信息员',
});
