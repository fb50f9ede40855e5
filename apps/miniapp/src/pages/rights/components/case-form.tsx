import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import { RIGHTS_CASE_KINDS } from '@jobbridge/shared';
import LimitedInput from '../../../components/limited-input';
import type { HelpForm } from '../services/rights';

/** The words of the form's questions, as the page asks them (the worker in their own words, the officer in the ledger's). */
export interface CaseFormWords {
  kind: string;
  employerName: string;
  place: string;
  amount: string;
  description: string;
}

interface Props {
  /** The class prefix of the page's fields (help-employer, open-employer…) and its errors (help-error-place…). */
  name: string;
  form: HelpForm;
  errors: Record<string, string>;
  onChange: (patch: Partial<HelpForm>) => void;
  titles: CaseFormWords;
  placeholders?: Partial<CaseFormWords>;
  /** What the page says above the questions (whom the case is for). */
  head?: ReactNode;
}

/**
 * THE form of a labor-rights case, for the worker's 我要求助 and the officer's opening of one: the kind, the
 * employer (boss, gang master), the place, the amount claimed (yuan, may be empty), what happened; each
 * field's error below it. The page holds the form, checks it (helpErrors) and sends it.
 */
export default function CaseForm({ name, form, errors, onChange, titles, placeholders = {}, head }: Props) {
  const error = (field: string) => (errors[field] ? <Text className={`wk-error ${name}-error-${field}`}>{errors[field]}</Text> : null);
  return (
    <>
      <View className='wk-card'>
        {head}
        <Text className={`wk-title${head ? ' rt-gap' : ''}`}>{titles.kind}</Text>
        <View className={`wk-chips ${name}-kind`}>
          {RIGHTS_CASE_KINDS.map((k) => (
            <Text key={k.code} className={`wk-chip ${name}-kind-${k.code}${form.kind === k.code ? ' wk-chip--on' : ''}`} onClick={() => onChange({ kind: k.code })}>
              {k.label}
            </Text>
          ))}
        </View>
        {error('kind')}
      </View>
      <View className='wk-card'>
        <Text className='wk-title'>{titles.employerName}</Text>
        <LimitedInput className={`wk-input ${name}-employer`} value={form.employerName} maxlength={100} placeholder={placeholders.employerName} onChange={(v) => onChange({ employerName: v })} />
        {error('employerName')}
        <Text className='wk-title rt-gap'>{titles.place}</Text>
        <LimitedInput className={`wk-input ${name}-place`} value={form.place} maxlength={200} placeholder={placeholders.place} onChange={(v) => onChange({ place: v })} />
        {error('place')}
        <Text className='wk-title rt-gap'>{titles.amount}</Text>
        <LimitedInput className={`wk-input ${name}-amount`} type='digit' value={form.amountYuan} maxlength={11} placeholder={placeholders.amount} onChange={(v) => onChange({ amountYuan: v })} />
        {error('amountClaimed')}
      </View>
      <View className='wk-card'>
        <Text className='wk-title'>{titles.description}</Text>
        <LimitedInput multiline className={`wk-textarea ${name}-description`} value={form.description} maxlength={2000} placeholder={placeholders.description} onChange={(v) => onChange({ description: v })} />
        {error('description')}
      </View>
    </>
  );
}
