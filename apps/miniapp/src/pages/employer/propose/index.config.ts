export default definePageConfig({
  navigationBarTitleText: '提交岗位',
});
