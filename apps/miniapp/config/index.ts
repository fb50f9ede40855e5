import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import devConfig from './dev';
import prodConfig from './prod';

/** The shared domain package is TypeScript source; Taro compiles it like our own code. */
const SHARED_SRC = path.resolve(__dirname, '../../../packages/shared/src');

export default defineConfig<'webpack5'>(async (merge) => {
  if (process.env.TARO_ENV === 'weapp' && !process.env.TARO_APP_API_BASE) {
    // Not fatal: the build is still useful for size and compile checks, but requests will fail with a clear message.
    console.warn('[jobbridge] TARO_APP_API_BASE is not set: the weapp build will not know where the API is.');
  }

  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'jobbridge-miniapp',
    date: '2025-11-22',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: {},
    // Defined even when unset, so the client reads '' instead of touching a `process` that weapp lacks.
    // Values from .env files and the shell (TARO_APP_* only) are merged over this by Taro.
    env: { TARO_APP_API_BASE: JSON.stringify(process.env.TARO_APP_API_BASE ?? '') },
    alias: { '@jobbridge/shared': SHARED_SRC },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    // Off: the persistent cache is large and a cold build is fast enough on two cores.
    cache: { enable: false },
    mini: {
      compile: { include: [SHARED_SRC] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: [SHARED_SRC] },
      output: {
        filename: 'js/[name].[hash:8].js',
        chunkFilename: 'js/[name].[chunkhash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[hash].css',
        chunkFilename: 'css/[name].[chunkhash].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
  };

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig);
  }
  return merge({}, baseConfig, prodConfig);
});
