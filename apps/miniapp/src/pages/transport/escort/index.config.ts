export default definePageConfig({
  navigationBarTitleText: '登车核验',
});
