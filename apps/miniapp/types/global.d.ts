/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.svg';
declare module '*.css';
declare module '*.scss';

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test';
    /** The platform being built; replaced at build time, so branches on it are removed from other targets. */
    TARO_ENV: 'weapp' | 'h5' | string;
    /** Weapp only: absolute API base including `/api/v1`, e.g. `https://jobbridge.example.cn/api/v1`. H5 uses the relative `/api/v1`. */
    TARO_APP_API_BASE?: string;
  }
}
