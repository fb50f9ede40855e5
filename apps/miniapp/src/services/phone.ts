import Taro from '@tarojs/taro';

/**
 * Opens the phone's dialer with a number. In weapp, WeChat's makePhoneCall. In H5, a tel: link
 * opened in a hidden frame: the dialer gets it as it would from the app's own document, and a
 * browser with no handler for tel: can only fail inside that frame, never replace the app.
 * (Taps dead after 打电话问问 in headless Chromium were Chromium's own "open xdg-open?" question,
 * a dialog over the tab that takes every tap until answered: see e2e/browser.ts.)
 */
export function callPhone(phoneNumber: string): void {
  if (process.env.TARO_ENV !== 'h5') {
    void Taro.makePhoneCall({ phoneNumber }).catch(() => undefined);
    return;
  }
  const frame = document.createElement('iframe');
  frame.style.display = 'none';
  frame.src = `tel:${phoneNumber.replace(/[^\d+]/g, '')}`;
  document.body.appendChild(frame);
  setTimeout(() => frame.remove(), 2_000);
}
