import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { SERVICE_RECORD_KINDS, type PostingView, type ServiceRecordKind } from '@jobbridge/shared';
import { useHomeSession } from '../../../hooks/use-home-session';
import { useOutbox } from '../../../hooks/use-outbox';
import { errorMessage, fieldErrors } from '../../../services/errors';
import { groupBindingCode } from '../../../services/worker';
import {
  createBindingCode,
  feedbackActions,
  followupDue,
  laborerRecommendations,
  ledgerRows,
  ledgerSummary,
  listFollowups,
  postingSummary,
  recordService,
  referPosting,
  searchPostings,
  sendFeedbackFor,
  serviceRecordErrors,
} from '../../../services/jobs';
import { HOME_ROUTES } from '../../../services/routes';
import { formatDateTime } from '../../../services/format';
import FeedbackPanel from '../../jobs/components/feedback-panel';
import JobCard from '../../worker/job-card';
import { Flash, LoadState } from '../../worker/parts';
import { useLoad } from '../../../hooks/use-load';
import LimitedInput from '../../../components/limited-input';
import '../survey.scss';
import './index.scss';

const OFFLINE = '就业服务需要联网';

type Message = { text: string; isError: boolean } | null;

/** The name passed by the page that links here (weapp hands query values over still encoded, H5 decoded). */
function nameParam(value: string | undefined): string | null {
  if (!value) return null;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * 就业服务 for one laborer (online only): the "311" progress, the jobs
 * recommended to them with their feedback (which the officer can record for
 * them), a referral by hand, a guidance or training service, the retention
 * follow-ups, and a binding code to read out at the doorstep.
 */
export default function LaborerServices() {
  const session = useHomeSession(HOME_ROUTES.officer);
  const outbox = useOutbox(session !== null);
  const { params } = useRouter();
  const laborerId = (params.id as string) ?? '';
  const name = outbox?.laborer(laborerId)?.name ?? nameParam(params.name) ?? '劳动力';
  const enabled = session !== null && laborerId !== '';
  const recs = useLoad(() => laborerRecommendations(laborerId), enabled, laborerId);
  const followups = useLoad(() => listFollowups({ laborerId }), enabled, laborerId);

  const [q, setQ] = useState('');
  const [note, setNote] = useState('');
  const [found, setFound] = useState<PostingView[] | null>(null);
  const [referMsg, setReferMsg] = useState<Message>(null);
  const [isSearching, setIsSearching] = useState(false);

  const [kind, setKind] = useState<ServiceRecordKind | null>(null);
  const [detail, setDetail] = useState('');
  const [serviceErrors, setServiceErrors] = useState<Record<string, string>>({});
  const [serviceMsg, setServiceMsg] = useState<Message>(null);

  const [code, setCode] = useState<{ code: string; expiresAt: string } | null>(null);
  const [codeMsg, setCodeMsg] = useState<Message>(null);
  const [feedbackMsg, setFeedbackMsg] = useState<Message>(null);

  if (!session) return <View />;

  const search = async () => {
    setIsSearching(true);
    setReferMsg(null);
    try {
      setFound((await searchPostings({ q })).items);
    } catch (err) {
      setReferMsg({ text: errorMessage(err), isError: true });
    } finally {
      setIsSearching(false);
    }
  };

  const refer = async (p: PostingView) => {
    setReferMsg(null);
    try {
      await referPosting(laborerId, p.id, note);
      setReferMsg({ text: `已推荐「${p.title}」，本人会收到通知`, isError: false });
      setNote('');
      setFound((shown) => shown?.filter((x) => x.id !== p.id) ?? null);
      recs.reload();
    } catch (err) {
      const fields = fieldErrors(err);
      setReferMsg({ text: fields.postingId ? `不能推荐「${p.title}」：${fields.postingId}` : errorMessage(err), isError: true });
    }
  };

  const addService = async () => {
    const errs = serviceRecordErrors({ kind, detail });
    setServiceErrors(errs);
    setServiceMsg(null);
    if (Object.keys(errs).length || !kind) return;
    try {
      await recordService(laborerId, { kind, detail });
      setServiceMsg({ text: `已记录${SERVICE_RECORD_KINDS.find((k) => k.code === kind)?.label ?? ''}`, isError: false });
      setDetail('');
      setKind(null);
      recs.reload();
    } catch (err) {
      setServiceErrors(fieldErrors(err));
      setServiceMsg({ text: errorMessage(err), isError: true });
    }
  };

  const makeCode = async () => {
    setCodeMsg(null);
    try {
      setCode(await createBindingCode(laborerId));
    } catch (err) {
      setCodeMsg({ text: errorMessage(err), isError: true });
    }
  };

  const data = recs.data;
  return (
    <View className='survey services'>
      <View className='section'>
        <View className='section__head'>
          <Text className='section__title svc-name'>{name}</Text>
          <Text className='section__meta'>就业服务（需联网）</Text>
        </View>
        <LoadState state={recs} name='svc' offline={OFFLINE} />
        {data ? (
          <View className='svc-ledger'>
            <View className='svc-ledger__boxes'>
              {ledgerRows(data.ledger).map((row) => (
                <View key={row.key} className={`svc-box svc-311-${row.key}${row.done ? ' svc-box--done' : ''}`}>
                  <Text className='svc-box__count'>{row.text}</Text>
                  <Text className='svc-box__label'>{row.label}</Text>
                </View>
              ))}
            </View>
            <Text className={`muted svc-missing${data.ledger.complete ? ' svc-missing--done' : ''}`}>“311”服务：{ledgerSummary(data.ledger)}</Text>
            {!data.ledger.isJobSeeker ? <Text className='svc-note'>此人目前不是求职者（已就业或无劳动能力），不再自动推荐岗位。</Text> : null}
          </View>
        ) : null}
      </View>

      {data ? (
        <View>
          <View className='section'>
            <View className='section__head'>
              <Text className='section__title'>推荐的岗位</Text>
              <Text className='section__meta svc-rec-count'>{data.items.length} 个</Text>
            </View>
            <Flash text={feedbackMsg?.text ?? null} isError={feedbackMsg?.isError} name='svc-feedback-flash' />
            {data.items.length === 0 ? <Text className='section__empty'>还没有推荐。新登记的求职者几秒内会自动匹配；也可在下面人工推荐。</Text> : null}
          </View>
          {data.items.map((r) => (
            <JobCard key={r.id} rec={r}>
              {feedbackActions(r.status, 'officer').length ? (
                <View className='svc-feedback'>
                  <Text className='svc-note'>代本人登记反馈（如电话告知）：</Text>
                  <FeedbackPanel
                    rec={r}
                    who='officer'
                    send={(body) => sendFeedbackFor(r.id, body)}
                    onDone={() => {
                      setFeedbackMsg({ text: '已登记反馈', isError: false });
                      recs.reload();
                      followups.reload();
                    }}
                  />
                </View>
              ) : null}
            </JobCard>
          ))}

          <View className='section svc-followups'>
            <View className='section__head'>
              <Text className='section__title'>稳岗回访</Text>
              <Text className='section__meta'>上岗后第1、3、6个月</Text>
            </View>
            <LoadState state={followups} name='svc-followups' offline={OFFLINE} isEmpty={(followups.data?.items.length ?? 0) === 0} empty='没有回访安排（上岗后自动安排）' />
            {followups.data?.items.map((f) => (
              <View className='list-row svc-followup-item' key={f.id}>
                <View className='list-row__main'>
                  <Text className='list-row__title'>
                    {f.employerName} · {f.postingTitle}
                  </Text>
                  <Text className='list-row__sub'>{followupDue(f)}</Text>
                </View>
                <Text className={`tag ${f.status === 'due' ? 'tag--danger' : 'tag--muted'}`}>
                  {f.status === 'due' ? '待回访' : f.status === 'done' ? (f.stillEmployed ? '仍在岗' : '已离岗') : '已取消'}
                </Text>
              </View>
            ))}
          </View>

          <View className='section svc-refer'>
            <View className='section__head'>
              <Text className='section__title'>人工推荐岗位</Text>
              <Text className='section__meta'>只列招聘中的岗位</Text>
            </View>
            <View className='svc-search'>
              <LimitedInput className='field__input svc-q' value={q} placeholder='岗位或单位名称' maxlength={50} onChange={setQ} onConfirm={() => void search()} />
              <View className='btn btn--small svc-search-go' onClick={() => void search()}>
                {isSearching ? '搜索中' : '搜索'}
              </View>
            </View>
            <LimitedInput className='field__input svc-note' value={note} placeholder='推荐说明（选填），如：离家近，已电话联系' maxlength={200} onChange={setNote} />
            <Flash text={referMsg?.text ?? null} isError={referMsg?.isError} name='svc-refer-flash' />
            {found && found.length === 0 ? <Text className='section__empty'>没有找到招聘中的岗位</Text> : null}
            {found?.map((p) => (
              <View className='list-row svc-posting' key={p.id}>
                <View className='list-row__main'>
                  <Text className='list-row__title svc-posting-title'>{p.title}</Text>
                  <Text className='list-row__sub'>
                    {p.employerName} · {postingSummary(p)}
                  </Text>
                </View>
                <View className='btn btn--small svc-refer-go' onClick={() => void refer(p)}>
                  推荐
                </View>
              </View>
            ))}
          </View>

          <View className='section svc-service'>
            <View className='section__head'>
              <Text className='section__title'>记录服务</Text>
              <Text className='section__meta'>职业指导、培训推荐</Text>
            </View>
            <View className='chips svc-kinds'>
              {SERVICE_RECORD_KINDS.map((k) => (
                <Text key={k.code} className={`chip svc-kind-${k.code}${kind === k.code ? ' chip--on' : ''}`} onClick={() => setKind(k.code)}>
                  {k.label}
                </Text>
              ))}
            </View>
            {serviceErrors.kind ? <Text className='field__error'>{serviceErrors.kind}</Text> : null}
            <LimitedInput className='field__input svc-detail' value={detail} placeholder='内容，如：讲解了电子厂岗位要求' maxlength={500} onChange={setDetail} />
            {serviceErrors.detail ? <Text className='field__error svc-error-detail'>{serviceErrors.detail}</Text> : null}
            <Flash text={serviceMsg?.text ?? null} isError={serviceMsg?.isError} name='svc-service-flash' />
            <View className='btn btn--ghost svc-service-go' onClick={() => void addService()}>
              记录
            </View>
          </View>

          <View className='section svc-binding'>
            <View className='section__head'>
              <Text className='section__title'>本人小程序绑定</Text>
            </View>
            <Text className='svc-note'>生成绑定码，当面念给本人，本人在“就业桥”小程序里输入绑定码和自己身份证号的后四位，就能看到推荐的岗位。</Text>
            {code ? (
              <View className='svc-code'>
                <Text className='svc-code__value svc-code-value'>{groupBindingCode(code.code)}</Text>
                <Text className='muted'>有效至 {formatDateTime(code.expiresAt)}，只能用一次</Text>
              </View>
            ) : null}
            <Flash text={codeMsg?.text ?? null} isError={codeMsg?.isError} name='svc-code-flash' />
            <View className='btn btn--ghost svc-code-go' onClick={() => void makeCode()}>
              {code ? '重新生成绑定码' : '生成绑定码'}
            </View>
          </View>
        </View>
      ) : null}
    </View>
  );
}
