import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TRAINING_TYPE_LABELS, type CertificateVerification } from '@jobbridge/shared';
import { AppError } from '../../errors';
import { Strict } from '../../schemas';

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:560px;margin:24px auto;padding:0 16px;color:#222}h1{font-size:20px}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:8px;border-bottom:1px solid #eee}th{color:#666;width:7em;font-weight:normal}.ok{color:#1a7f37}.bad{color:#c00;font-weight:bold}</style></head><body>${body}</body></html>`;
}

/** Rows of the page: every field the certificate prints, the masked ID number as printed. */
function rows(c: CertificateVerification): string {
  const kind = TRAINING_TYPE_LABELS[c.kind as keyof typeof TRAINING_TYPE_LABELS] ?? c.kind;
  const r: Array<[string, string]> = [
    ['证书编号', c.serial],
    ['姓名', c.holderName],
    ['身份证号', c.idNumberMasked],
    ['培训项目', `${c.courseTitle}（${kind}）`],
    ['培训时间', `${c.startsOn} 至 ${c.endsOn}`],
    ['培训机构', c.provider],
    ['证书', c.certificateName],
    ['发证日期', c.issuedOn],
  ];
  return r.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`).join('');
}

/**
 * The public page the certificate's QR code opens (/verify/certificates/:serial?c=code): what the database
 * holds for that certificate, to compare with the paper, and whether it was revoked. HTML from the server,
 * no script; the JSON twin is GET /api/v1/verify/certificates/:serial.
 */
const verifyPage: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/verify/certificates/:serial', {
    config: { access: 'public' },
    schema: {
      hide: true,
      params: Strict({ serial: Type.String({ minLength: 1, maxLength: 40 }) }),
      querystring: Type.Object({ c: Type.Optional(Type.String({ maxLength: 40 })) }),
    },
    handler: async (req, reply) => {
      reply.header('cache-control', 'no-store').type('text/html; charset=utf-8');
      const code = req.query.c ?? '';
      if (!/^[0-9A-Za-z-]{1,24}$/.test(req.params.serial) || !/^[0-9A-Za-z]{1,16}$/.test(code)) {
        return reply.code(404).send(page('证书核验', '<h1>证书核验</h1><p class="bad">未找到此证书：请核对证书编号与二维码。</p>'));
      }
      try {
        const c = await app.trainingService.verify(req.params.serial, code);
        const status = c.revoked
          ? `<p class="bad">此证书已于 ${escape((c.revokedAt ?? '').slice(0, 10))} 撤销${c.revokeReason ? `：${escape(c.revokeReason)}` : ''}。</p>`
          : '<p class="ok">此证书有效。请核对下列各项与纸质证书一致。</p>';
        return reply.send(page(`证书核验 ${c.serial}`, `<h1>职业技能培训结业证书核验</h1>${status}<table>${rows(c)}</table>`));
      } catch (err) {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return reply.code(404).send(page('证书核验', '<h1>证书核验</h1><p class="bad">未找到此证书：请核对证书编号与二维码。</p>'));
        throw err;
      }
    },
  });
};

export default verifyPage;
