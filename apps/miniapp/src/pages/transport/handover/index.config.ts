export default definePageConfig({
  navigationBarTitleText: '运达交接',
});
