export default definePageConfig({
  // A home has its own header (name, area, 退出) and nowhere to go back to: no H5 bar; weapp keeps its native one.
  navigationStyle: process.env.TARO_ENV === 'h5' ? 'custom' : 'default',
  navigationBarTitleText: '就业桥 · 企业联系人',
});
