export default definePageConfig({
  navigationBarTitleText: '登记维权案件',
});
