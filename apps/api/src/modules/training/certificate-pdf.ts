import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { TRAINING_TYPE_LABELS, type CertificateView } from '@jobbridge/shared';
import { AppError } from '../../errors';

/** The PostScript name of the face to use when the font file is a collection (.ttc): WenQuanYi Micro Hei's first. */
const TTC_FACE = 'WenQuanYiMicroHei';

/**
 * The certificate as an A4 landscape PDF: every field the verification page shows, and a QR code holding
 * the verification link (serial and check code). The CJK font is a file on the server (config
 * CERTIFICATE_FONT, Debian's fonts-wqy-microhei by default); a missing one is a clear 503, never a PDF with
 * empty boxes.
 */
export async function certificatePdf(c: CertificateView, verifyUrl: string, fontPath: string): Promise<Buffer> {
  if (!fs.existsSync(fontPath)) {
    throw new AppError('SERVICE_UNAVAILABLE', `无法生成证书 PDF：找不到中文字体文件 ${fontPath}（安装 fonts-wqy-microhei，或以 CERTIFICATE_FONT 指定字体文件）`);
  }
  const qr = await QRCode.toBuffer(verifyUrl, { errorCorrectionLevel: 'M', margin: 1, width: 300 });
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 56, info: { Title: `培训证书 ${c.serial}`, Creator: 'JobBridge 就业桥' } });
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (/\.ttc$/i.test(fontPath)) doc.registerFont('cjk', fontPath, TTC_FACE);
  else doc.registerFont('cjk', fontPath);
  doc.font('cjk');

  const { width, height } = doc.page;
  doc.lineWidth(3).rect(28, 28, width - 56, height - 56).stroke('#8a1c1c');
  doc.lineWidth(1).rect(36, 36, width - 72, height - 72).stroke('#8a1c1c');
  doc.fillColor('#8a1c1c').fontSize(34).text('职业技能培训结业证书', 0, 80, { align: 'center', width });
  doc.fillColor('#000').fontSize(14).text(`证书编号：${c.serial}`, 0, 130, { align: 'center', width });

  const kind = TRAINING_TYPE_LABELS[c.kind as keyof typeof TRAINING_TYPE_LABELS] ?? c.kind;
  const lines: Array<[string, string]> = [
    ['姓名', c.holderName],
    ['身份证号', c.idNumberMasked],
    ['培训项目', `${c.courseTitle}（${kind}）`],
    ['培训时间', `${c.startsOn} 至 ${c.endsOn}`],
    ['培训机构', c.provider],
    ['证书', c.certificateName],
    ['发证日期', c.issuedOn],
  ];
  let y = 180;
  for (const [label, value] of lines) {
    doc.fontSize(16).fillColor('#555').text(`${label}：`, 90, y, { width: 110 });
    doc.fillColor('#000').text(value, 200, y, { width: width - 200 - 260 });
    y += 36;
  }
  if (c.revoked) doc.fillColor('#c00').fontSize(22).text('（已撤销）', 90, y + 6);

  const qrSize = 150;
  doc.image(qr, width - 90 - qrSize, 190, { width: qrSize });
  doc.fillColor('#555').fontSize(10).text('扫码核验证书真伪及是否撤销', width - 90 - qrSize - 20, 190 + qrSize + 8, { width: qrSize + 40, align: 'center' });
  doc.end();
  return done;
}
