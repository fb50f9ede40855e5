import Taro from '@tarojs/taro';
import QRCode from 'qrcode';
import { CHAT_ROUTES } from '../../../services/chat-groups';

/** Invite codes: 8 characters of the server's alphabet (no 0/O, 1/I/L); typed, they may come with spaces or dashes and in lower case. */
const CODE = /^[2-9A-HJ-KM-NP-Z]{8}$/;

function normal(text: string): string | null {
  const code = text.replace(/[\s-]/g, '').toUpperCase();
  return CODE.test(code) ? code : null;
}

/** Where the app is served (the H5 build: this page's origin; a mini-program: the API's, given at build time). */
function siteOrigin(): string {
  if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined') return window.location.origin;
  const m = /^https?:\/\/[^/]+/.exec(process.env.TARO_APP_API_BASE ?? '');
  return m ? m[0] : '';
}

/**
 * What the invite QR code holds: the join page's link with the code. A phone's camera opens it in the H5
 * app; WeChat opens the mini-program's join page with it (the "扫普通链接二维码打开小程序" rule for the
 * site's prefix hands the link over as `q`); the join page's scan button reads it too.
 */
export function inviteLink(code: string): string {
  return `${siteOrigin()}/#${CHAT_ROUTES.join}?code=${encodeURIComponent(code)}`;
}

/** The invite code in what was typed, scanned or passed to the join page (a bare code, a link with `code=`, or WeChat's `q` holding the link); null when there is none. */
export function inviteCodeFrom(text: string | undefined | null): string | null {
  if (!text) return null;
  let t = text.trim();
  try {
    if (/%[0-9A-Fa-f]{2}/.test(t)) t = decodeURIComponent(t);
  } catch {
    // Not percent-encoded after all: read it as it is.
  }
  const param = /[?&]code=([^&#]+)/.exec(t);
  return normal(param ? param[1] : t);
}

/**
 * The QR code of `inviteLink(code)` as an SVG data URL (pure JS, no canvas or DOM) for an <Image>: in H5
 * percent-encoded (Taro H5's arrayBufferToBase64 answers '' for an ArrayBuffer), in the mini-program base64.
 */
export async function inviteQrDataUrl(code: string): Promise<string> {
  const svg = await QRCode.toString(inviteLink(code), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  if (process.env.TARO_ENV === 'h5') return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  // The SVG is ASCII: a byte per character.
  const bytes = Uint8Array.from(svg, (c) => c.charCodeAt(0));
  return `data:image/svg+xml;base64,${Taro.arrayBufferToBase64(bytes.buffer)}`;
}
