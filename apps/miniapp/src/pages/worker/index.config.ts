export default definePageConfig({
  navigationBarTitleText: '就业桥',
});
