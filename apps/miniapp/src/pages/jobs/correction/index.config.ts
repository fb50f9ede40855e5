export default definePageConfig({
  navigationBarTitleText: '申请更正',
});
