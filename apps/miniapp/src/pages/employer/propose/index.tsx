import { useState, type ReactNode } from 'react';
import Taro from '@tarojs/taro';
import { Picker, Text, View } from '@tarojs/components';
import { chinaDate, POSTING_FIELD_LABELS as F, type RegionView } from '@jobbridge/shared';
import LimitedInput from '../../../components/limited-input';
import { useHomeSession } from '../../../hooks/use-home-session';
import { errorMessage, fieldErrors } from '../../../services/errors';
import { HOME_ROUTES } from '../../../services/routes';
import { Flash } from '../../worker/parts';
import { CATEGORY_CHOICES, formFieldErrors, searchRegions, submitProposal, type ProposalForm } from '../services/employer';
import '../../worker/parts.scss';
import '../employer.scss';

/** A date `months` from today, China time. */
function monthsAhead(months: number): string {
  const d = new Date();
  d.setMonth(d.getMonth() + months);
  return chinaDate(d);
}

/** A labelled row with the API's message for it beneath (class `pf-error-<name>`). */
function Row(props: { name: string; label: string; error?: string; children: ReactNode }) {
  return (
    <View className={`em-field pf-${props.name}`}>
      <Text className='em-field__label'>{props.label}</Text>
      {props.children}
      {props.error ? <Text className={`wk-error pf-error-${props.name}`}>{props.error}</Text> : null}
    </View>
  );
}

/**
 * 提交岗位: the employer contact proposes a posting with the fields staff enter
 * for one. Nothing is checked here: the API runs the postings' own validation and
 * its Chinese message for each field shows beneath that field. Staff then accept
 * it into the supply list (possibly corrected) or decline it with a reason.
 */
export default function ProposePage() {
  const session = useHomeSession(HOME_ROUTES.employer_contact);
  const [form, setForm] = useState<ProposalForm>(() => ({
    title: '',
    categoryCode: '',
    workRegionCode: '',
    workPlaceName: '',
    wageMin: '',
    wageMax: '',
    headcount: '1',
    boardLodging: false,
    validFrom: chinaDate(new Date()),
    validTo: monthsAhead(6),
    description: '',
  }));
  const [categoryQuery, setCategoryQuery] = useState('');
  const [regionQuery, setRegionQuery] = useState('');
  const [regionName, setRegionName] = useState('');
  const [regions, setRegions] = useState<RegionView[] | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [isSending, setIsSending] = useState(false);
  if (!session) return <View />;

  const set = <K extends keyof ProposalForm>(key: K, value: ProposalForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    // The field's message goes once it is changed; the API checks it again on the next send.
    if (errors[key]) setErrors(({ [key]: _gone, ...rest }) => rest);
  };
  const categories = categoryQuery.trim() ? CATEGORY_CHOICES.filter((c) => c.label.includes(categoryQuery.trim())).slice(0, 8) : [];
  const categoryLabel = CATEGORY_CHOICES.find((c) => c.code === form.categoryCode)?.label;

  const findRegions = async () => {
    if (!regionQuery.trim()) return;
    try {
      setRegions((await searchRegions(regionQuery)).items);
    } catch (err) {
      setErrors((e) => ({ ...e, workRegionCode: errorMessage(err) }));
    }
  };

  const submit = async () => {
    if (isSending) return;
    setIsSending(true);
    setFailure(null);
    try {
      const p = await submitProposal(form);
      setErrors({});
      setDone(`已提交“${p.title}”，等待人社工作人员审核`);
      setTimeout(() => void Taro.navigateBack().catch(() => Taro.reLaunch({ url: HOME_ROUTES.employer_contact })), 1200);
    } catch (err) {
      const { byField, rest } = formFieldErrors(fieldErrors(err));
      setErrors(byField);
      setFailure(Object.keys(byField).length ? (rest.length ? rest.join('；') : '有填写不正确的地方，请按红字修改后再提交') : errorMessage(err));
    } finally {
      setIsSending(false);
    }
  };

  const input = (name: 'title' | 'workPlaceName' | 'wageMin' | 'wageMax' | 'headcount', placeholder: string, maxlength: number, type: 'text' | 'number' = 'text') => (
    <LimitedInput className={`wk-input pf-input-${name}`} type={type} value={form[name]} maxlength={maxlength} placeholder={placeholder} onChange={(v) => set(name, v)} />
  );

  return (
    <View className='wk propose-page'>
      <View className='wk-card'>
        <Text className='wk-title'>提交岗位</Text>
        <Text className='wk-note'>填好后提交给人社工作人员审核，采纳后进入岗位供给清单，推荐给合适的求职者。</Text>

        <Row name='title' label={F.title} error={errors.title}>
          {input('title', '如：电子厂普工', 100)}
        </Row>

        <Row name='categoryCode' label={F.categoryCode} error={errors.categoryCode}>
          {categoryLabel ? <Text className='em-field__value pf-category-chosen'>{categoryLabel}</Text> : null}
          <LimitedInput className='wk-input pf-category-q' value={categoryQuery} maxlength={20} placeholder='输入工种名称查找，如 普工' onChange={setCategoryQuery} />
          <View className='em-choices'>
            {categories.map((c) => (
              <Text
                key={c.code}
                className='em-choice pf-category-option'
                onClick={() => {
                  set('categoryCode', c.code);
                  setCategoryQuery('');
                }}
              >
                {c.label}
              </Text>
            ))}
          </View>
        </Row>

        <Row name='workRegionCode' label={F.workRegionCode} error={errors.workRegionCode}>
          {regionName ? <Text className='em-field__value pf-region-chosen'>{regionName}</Text> : null}
          <LimitedInput className='wk-input pf-region-q' value={regionQuery} maxlength={50} placeholder='输入地名查找，如 江门' onChange={setRegionQuery} onConfirm={() => void findRegions()} />
          <Text className='em-link pf-region-go' onClick={() => void findRegions()}>
            查找地点 ›
          </Text>
          <View className='em-choices'>
            {regions?.length === 0 ? <Text className='wk-note'>没有找到这个地名</Text> : null}
            {regions?.map((r) => (
              <Text
                key={r.code}
                className='em-choice pf-region-option'
                onClick={() => {
                  set('workRegionCode', r.code);
                  setRegionName(r.name);
                  setRegions(null);
                  setRegionQuery('');
                }}
              >
                {r.name}（{r.code}）
              </Text>
            ))}
          </View>
        </Row>

        <Row name='workPlaceName' label={`${F.workPlaceName}（可不填）`} error={errors.workPlaceName}>
          {input('workPlaceName', '不填时按工作地点生成', 100)}
        </Row>
        <Row name='wageMin' label={`${F.wageMin}（元/月）`} error={errors.wageMin}>
          {input('wageMin', '如 4000', 7, 'number')}
        </Row>
        <Row name='wageMax' label={`${F.wageMax}（元/月）`} error={errors.wageMax}>
          {input('wageMax', '如 6000', 7, 'number')}
        </Row>
        <Row name='headcount' label={`${F.headcount}（人）`} error={errors.headcount}>
          {input('headcount', '如 20', 5, 'number')}
        </Row>

        <Row name='boardLodging' label={F.boardLodging} error={errors.boardLodging}>
          <View className='wk-chips'>
            <Text className={`wk-chip pf-board-yes${form.boardLodging ? ' wk-chip--on' : ''}`} onClick={() => set('boardLodging', true)}>
              是
            </Text>
            <Text className={`wk-chip pf-board-no${!form.boardLodging ? ' wk-chip--on' : ''}`} onClick={() => set('boardLodging', false)}>
              否
            </Text>
          </View>
        </Row>

        <Row name='validFrom' label={F.validFrom} error={errors.validFrom}>
          <Picker mode='date' value={form.validFrom} onChange={(e) => set('validFrom', String(e.detail.value))}>
            <Text className='em-field__value pf-valid-from'>{form.validFrom}</Text>
          </Picker>
        </Row>
        <Row name='validTo' label={F.validTo} error={errors.validTo}>
          <Picker mode='date' value={form.validTo} onChange={(e) => set('validTo', String(e.detail.value))}>
            <Text className='em-field__value pf-valid-to'>{form.validTo}</Text>
          </Picker>
        </Row>

        <Row name='description' label={`${F.description}（可不填）`} error={errors.description}>
          <LimitedInput className='wk-textarea pf-input-description' multiline value={form.description} maxlength={1000} placeholder='工作内容、班次、福利等' onChange={(v) => set('description', v)} />
        </Row>
      </View>

      {failure ? <Text className='wk-error propose-failure'>{failure}</Text> : null}
      <Flash text={done} name='propose-done' />
      <View className={`wk-btn propose-submit${isSending ? ' wk-btn--off' : ''}`} onClick={() => void submit()}>
        {isSending ? '正在提交…' : '提交审核'}
      </View>
    </View>
  );
}
