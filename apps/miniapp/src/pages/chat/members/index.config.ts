export default definePageConfig({
  navigationBarTitleText: '群成员',
});
