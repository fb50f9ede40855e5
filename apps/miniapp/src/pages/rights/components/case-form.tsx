import { useEffect, useState, type ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import { RIGHTS_CASE_KINDS } from '@jobbridge/shared';
import LimitedInput from '../../../components/limited-input';
import { errorMessage, fieldErrors } from '../../../services/errors';
import { Flash } from '../../worker/parts';
import { EMPTY_HELP, helpErrors, type EmployerChoice, type EmployerChoices, type HelpForm } from '../services/rights';

/** The words of the form's questions, as the page asks them (the worker in their own words, the officer in the ledger's). */
export interface CaseFormWords {
  kind: string;
  employerName: string;
  place: string;
  amount: string;
  description: string;
}

/** What sending the form came to: a line to show (the form is emptied), or nothing (the page moved on). */
export type SendOutcome = { text: string; isError?: boolean } | void;

interface Props {
  /** The class prefix of the page's fields (help-employer, open-employer…) and its errors (help-error-place…). */
  name: string;
  titles: CaseFormWords;
  placeholders?: Partial<CaseFormWords>;
  /** What the page says above the questions (whom the case is for). */
  head?: ReactNode;
  /** Where employers may be picked from (none: the name is typed in). */
  employers?: EmployerChoices;
  /** Says above the employers to pick what they are (the area's list, one's own jobs). */
  employersTitle?: string;
  /** Sends the checked form; a thrown API error comes back beside the fields it names. */
  send: (form: HelpForm) => Promise<SendOutcome>;
  /** The button, and the button while sending. */
  submitLabel: string;
  sendingLabel: string;
}

/**
 * THE form of a labor-rights case, for the worker's 我要求助 and the officer's opening of one: the kind, the
 * employer (picked from a list, or typed in: boss, gang master), the place, the amount claimed (yuan, may be
 * empty), what happened; each field's error below it; and its sending: checked here (helpErrors), sent by the
 * page's `send`, the server's field errors shown where they belong.
 */
export default function CaseForm({ name, titles, placeholders = {}, head, employers, employersTitle, send, submitLabel, sendingLabel }: Props) {
  const [form, setForm] = useState<HelpForm>(EMPTY_HELP);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [flash, setFlash] = useState<{ text: string; isError?: boolean } | null>(null);
  const [isSending, setIsSending] = useState(false);
  const set = (patch: Partial<HelpForm>) => setForm((f) => ({ ...f, ...patch }));
  const error = (field: string) => (errors[field] ? <Text className={`wk-error ${name}-error-${field}`}>{errors[field]}</Text> : null);

  const submit = async () => {
    if (isSending) return;
    const errs = helpErrors(form);
    setErrors(errs);
    setFlash(null);
    if (Object.keys(errs).length) return;
    setIsSending(true);
    try {
      const outcome = await send(form);
      if (outcome) {
        setForm(EMPTY_HELP);
        setFlash(outcome);
      }
    } catch (err) {
      setErrors(fieldErrors(err));
      setFlash({ text: errorMessage(err), isError: true });
    } finally {
      setIsSending(false);
    }
  };

  return (
    <>
      <View className='wk-card'>
        {head}
        <Text className={`wk-title${head ? ' rt-gap' : ''}`}>{titles.kind}</Text>
        <View className={`wk-chips ${name}-kind`}>
          {RIGHTS_CASE_KINDS.map((k) => (
            <Text key={k.code} className={`wk-chip ${name}-kind-${k.code}${form.kind === k.code ? ' wk-chip--on' : ''}`} onClick={() => set({ kind: k.code })}>
              {k.label}
            </Text>
          ))}
        </View>
        {error('kind')}
      </View>
      <View className='wk-card'>
        <Text className='wk-title'>{titles.employerName}</Text>
        {/* Typing is free text: it lets go of an employer picked from the list. */}
        <LimitedInput className={`wk-input ${name}-employer`} value={form.employerName} maxlength={100} placeholder={placeholders.employerName} onChange={(v) => set({ employerName: v, employerId: null })} />
        {employers ? <EmployerPicker name={name} title={employersTitle} employers={employers} form={form} onPick={(e) => set(e ? { employerId: e.id, employerName: e.name } : { employerId: null })} /> : null}
        {error('employerName')}
        {error('employerId')}
        <Text className='wk-title rt-gap'>{titles.place}</Text>
        <LimitedInput className={`wk-input ${name}-place`} value={form.place} maxlength={200} placeholder={placeholders.place} onChange={(v) => set({ place: v })} />
        {error('place')}
        <Text className='wk-title rt-gap'>{titles.amount}</Text>
        <LimitedInput className={`wk-input ${name}-amount`} type='digit' value={form.amountYuan} maxlength={11} placeholder={placeholders.amount} onChange={(v) => set({ amountYuan: v })} />
        {error('amountClaimed')}
      </View>
      <View className='wk-card'>
        <Text className='wk-title'>{titles.description}</Text>
        <LimitedInput multiline className={`wk-textarea ${name}-description`} value={form.description} maxlength={2000} placeholder={placeholders.description} onChange={(v) => set({ description: v })} />
        {error('description')}
      </View>
      <Flash text={flash?.text ?? null} isError={flash?.isError} name={`${name}-flash`} />
      <View className={`wk-btn ${name}-submit${isSending ? ' wk-btn--off' : ''}`} onClick={() => void submit()}>
        {isSending ? sendingLabel : submitLabel}
      </View>
    </>
  );
}

/** Waiting this long after the last key before asking: a weak signal carries one search, not one per character. */
const SEARCH_DELAY_MS = 300;

/**
 * The employers one may pick for what is typed (asked again as typing goes on; a late answer to an older search
 * is dropped); the one picked is marked, and tapping it again lets go of it.
 */
function EmployerPicker({ name, title, employers, form, onPick }: { name: string; title?: string; employers: EmployerChoices; form: HelpForm; onPick: (e: EmployerChoice | null) => void }) {
  const [found, setFound] = useState<{ items: EmployerChoice[]; note?: string } | null>(null);
  const typed = form.employerId ? '' : form.employerName;
  useEffect(() => {
    if (form.employerId) return;
    let isCurrent = true;
    const timer = setTimeout(() => {
      void employers(typed).then((r) => isCurrent && setFound(r));
    }, SEARCH_DELAY_MS);
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [employers, typed, form.employerId]);

  if (form.employerId) {
    return (
      <View className={`rt-picked ${name}-employer-picked`}>
        <Text className='wk-note'>已选名单中的单位：{form.employerName}</Text>
        <Text className={`rt-link ${name}-employer-unpick`} onClick={() => onPick(null)}>
          改为手动填写
        </Text>
      </View>
    );
  }
  if (!found) return null;
  return (
    <View className={`rt-employers ${name}-employers`}>
      {found.items.length ? <Text className='wk-note'>{title ?? '或从名单中选择'}</Text> : null}
      {found.note ? <Text className={`wk-note ${name}-employers-note`}>{found.note}</Text> : null}
      {found.items.map((e) => (
        <Text key={e.id} className={`wk-chip ${name}-employer-choice`} onClick={() => onPick(e)}>
          {e.name}
        </Text>
      ))}
    </View>
  );
}
