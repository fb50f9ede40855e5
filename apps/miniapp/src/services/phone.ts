import Taro from '@tarojs/taro';

/**
 * Opens the phone's dialer with a number. In weapp, WeChat's makePhoneCall. In H5, Taro's
 * makePhoneCall sets the page's own location to tel:…, a navigation of the app's document
 * that a browser without a dialer (headless Chromium) never finishes: the page then took no
 * more taps (the job cards, 消息, back). A tel: link opened in a hidden frame reaches the
 * dialer the same way and leaves the app's document alone.
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
