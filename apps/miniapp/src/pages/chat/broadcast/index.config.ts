export default definePageConfig({
  navigationBarTitleText: '群发岗位',
});
