export default definePageConfig({
  navigationBarTitleText: '劳动力调查',
});
