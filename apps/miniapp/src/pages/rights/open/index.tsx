import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useHomeSession } from '../../../hooks/use-home-session';
import { useOutbox } from '../../../hooks/use-outbox';
import { ApiError } from '../../../services/errors';
import { HOME_ROUTES, RIGHTS_ROUTES } from '../../../services/routes';
import CaseForm from '../components/case-form';
import { areaEmployers, queueOpen, type HelpForm } from '../services/rights';
import '../../worker/parts.scss';
import '../rights.scss';

/** Where the officer met the need: the survey's service need 劳动维权, or a visit to the household (走访). */
const FROM = {
  survey: '来自入户调查的服务需求“劳动维权”。',
  visit: '来自走访：入户时提出的维权求助。',
} as const;

/**
 * The officer opens a labor-rights case for a laborer of the survey, from a survey need or a visit. The case goes
 * into the survey's outbox (sync op `rightsCase.open`, with the employer picked from the area's list) and is sent
 * at once when there is a signal: then the case opens, on the clock from today. With no signal it waits on the
 * phone, shown as 待上传 in the officer's 维权 list, and goes with the next sync; its clock still counts from today.
 */
export default function OpenCasePage() {
  const session = useHomeSession(HOME_ROUTES.officer);
  const outbox = useOutbox(session !== null);
  const { params } = useRouter();
  const laborerId = params.laborerId ?? '';
  const name = decodeURIComponent(params.name ?? '');
  const source = params.source === 'visit' ? 'visit' : 'survey';
  const [employers] = useState(() => (session ? areaEmployers(session.user.id) : undefined));
  if (!session || !outbox) return <View />;

  const send = async (form: HelpForm) => {
    const op = queueOpen(outbox, laborerId, source, form);
    const report = await outbox.sync({ force: true });
    const refused = outbox.rejected(op.opId);
    if (refused) {
      // Refused as it stands (a field the server checks): back into the form, beside the field it names.
      outbox.discard(op.opId);
      throw new ApiError(400, 'VALIDATION_FAILED', refused.message, refused.fields);
    }
    if (outbox.pendingOps.some((o) => o.opId === op.opId)) {
      return { text: `已保存在手机上，联网后自动上传，在“维权”列表中显示为待上传；受理期限从今天起算${report.error ? `（${report.error}）` : ''}` };
    }
    void Taro.redirectTo({ url: `${RIGHTS_ROUTES.case}?id=${encodeURIComponent(op.entityId)}&opened=1` });
  };

  return (
    <View className='wk rights-page open-case'>
      <CaseForm
        name='open'
        titles={{ kind: '类型', employerName: '用工单位', place: '务工地点', amount: '主张金额（元，可不填）', description: '情况说明' }}
        placeholders={{ employerName: '输入单位名称，可从名单中选择' }}
        employers={employers}
        employersTitle='用工单位名单中的单位（点选）'
        send={send}
        submitLabel='登记案件'
        sendingLabel='正在登记…'
        head={
          <>
            <Text className='wk-title open-case-name'>为 {name} 登记维权案件</Text>
            <Text className={`wk-note open-case-source open-case-source--${source}`}>{FROM[source]}受理期限从今天起算；没有信号时先存在手机上，联网后自动上传。</Text>
          </>
        }
      />
    </View>
  );
}
