export default definePageConfig({
  navigationBarTitleText: '就业桥 · 登录',
});
