import { CHAT_ROUTES } from '../src/services/chat-groups';
import { inviteCodeFrom, inviteLink, inviteQrDataUrl } from '../src/pages/chat/services/invite';

/** The invite QR code's content and what the join page reads back from a scan or a link. */
describe('invite QR code', () => {
  it('holds the join page\'s link with the code, which the join page reads back', () => {
    const link = inviteLink('FC53TAJQ');
    expect(link).toContain(`#${CHAT_ROUTES.join}?code=FC53TAJQ`);
    expect(inviteCodeFrom(link)).toBe('FC53TAJQ');
  });

  it('reads a code typed, linked, or handed over by WeChat as `q` (the link percent-encoded)', () => {
    expect(inviteCodeFrom('fc53-tajq')).toBe('FC53TAJQ');
    expect(inviteCodeFrom(' FC53 TAJQ ')).toBe('FC53TAJQ');
    expect(inviteCodeFrom('https://jobbridge.example.cn/#/pages/chat/join/index?code=FC53TAJQ')).toBe('FC53TAJQ');
    expect(inviteCodeFrom(encodeURIComponent('https://jobbridge.example.cn/#/pages/chat/join/index?code=FC53TAJQ&from=qr'))).toBe('FC53TAJQ');
  });

  it('refuses what is not an invite code (letters the server never uses, wrong length, other links)', () => {
    for (const bad of ['', undefined, null, 'FC53TAJ', 'FC53TAJQX', 'FC53TAJ0', 'ILOL2345', 'https://example.cn/?id=FC53TAJQ', 'https://example.cn/?code=%E4%BD%A0']) {
      expect(inviteCodeFrom(bad)).toBeNull();
    }
  });

  it('is drawn as an SVG data URL without a canvas', async () => {
    const url = await inviteQrDataUrl('FC53TAJQ');
    expect(url.startsWith('data:image/svg+xml;base64,')).toBe(true);
    const svg = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64').toString('utf8');
    expect(svg).toMatch(/^<svg[^>]*viewBox="0 0 \d+ \d+"/);
    expect(svg).toContain('<path');
  });
});
