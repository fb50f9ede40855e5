import type { UserConfigExport } from '@tarojs/cli';
import { GenerateSW } from 'workbox-webpack-plugin';

export default {
  mini: {},
  h5: {
    webpackChain(chain) {
      // The officer's app must open with no network once it was opened online: a service worker
      // (sw.js, Workbox) precaches every file of the build (the page, each page's JS and CSS chunk)
      // and answers navigations with the cached index.html. API calls are not its business: the app
      // keeps its own local copy and outbox. A new build installs beside the old one and takes over
      // when every tab of the old one is closed, so an open page never meets chunks of another build.
      chain.plugin('service-worker').use(GenerateSW, [
        {
          swDest: 'sw.js',
          clientsClaim: true,
          skipWaiting: false,
          cleanupOutdatedCaches: true,
          inlineWorkboxRuntime: true,
          sourcemap: false,
          navigateFallback: '/index.html',
          // The staff console (/console/) is another app of the same origin: its pages come from the server.
          navigateFallbackDenylist: [/^\/api\//, /^\/docs/, /^\/openapi\.json$/, /^\/healthz/, /^\/console(\/|$)/],
          exclude: [/\.map$/, /\.LICENSE\.txt$/],
          maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        },
      ]);
    },
  },
} satisfies UserConfigExport<'webpack5'>;
