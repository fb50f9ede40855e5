export default definePageConfig({
  navigationBarTitleText: '建群',
});
