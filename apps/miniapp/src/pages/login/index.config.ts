export default definePageConfig({
  // The first page: nothing to go back to, so no H5 bar; weapp keeps its native one.
  navigationStyle: process.env.TARO_ENV === 'h5' ? 'custom' : 'default',
  navigationBarTitleText: '就业桥 · 登录',
});
