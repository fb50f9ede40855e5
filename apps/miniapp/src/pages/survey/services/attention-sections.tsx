import { useState, type ReactNode } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { CorrectionRequestView, FollowupView, Page } from '@jobbridge/shared';
import { errorMessage, fieldErrors } from '../../../services/errors';
import { completeFollowup, followupDue, followupErrors, listFollowups, listOpenCorrections, resolutionErrors, resolveCorrection } from '../../../services/jobs';
import { servicesRoute, SURVEY_ROUTES } from '../../../services/routes';
import { formatDateTime } from '../../../services/format';
import { correctionFieldsText } from '../../../services/worker';
import { Flash, LoadState, usePaged } from '../../worker/parts';
import LimitedInput from '../../../components/limited-input';
import './attention.scss';

/**
 * The online parts of 需要关注: retention follow-ups that are due, and
 * workers' correction requests, each dealt with in place.
 */

interface ActionRowProps<C extends string | boolean> {
  /** Class prefix: `<name>-item`, `<name>-open`, `<name>-note`, `<name>-submit`. */
  name: string;
  main: ReactNode;
  onMain?: () => void;
  openLabel: string;
  before?: ReactNode;
  choiceName: string;
  choices: Array<{ value: C; label: string }>;
  placeholder: (choice: C | null) => string;
  validate: (choice: C | null, note: string) => Record<string, string>;
  /** Sends the answer; resolves with what to tell the officer. */
  send: (choice: C, note: string) => Promise<string>;
  onDone: (text: string) => void;
}

/** A row with a button that opens a small form: one choice, a note, 提交. */
function ActionRow<C extends string | boolean>(props: ActionRowProps<C>) {
  const [isOpen, setIsOpen] = useState(false);
  const [choice, setChoice] = useState<C | null>(null);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async () => {
    const errs = props.validate(choice, note);
    setErrors(errs);
    setFailure(null);
    if (Object.keys(errs).length || choice === null) return;
    try {
      props.onDone(await props.send(choice, note));
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure(errorMessage(err));
    }
  };

  const choiceError = Object.entries(errors).find(([k]) => k !== 'note')?.[1];
  return (
    <View className={`${props.name}-item`}>
      <View className='list-row'>
        <View className='list-row__main' onClick={props.onMain}>
          {props.main}
        </View>
        <View className={`btn btn--small ${props.name}-open`} onClick={() => setIsOpen(!isOpen)}>
          {isOpen ? '收起' : props.openLabel}
        </View>
      </View>
      {isOpen ? (
        <View className={`${props.name}-form`}>
          {props.before}
          <View className={`chips ${props.choiceName}`}>
            {props.choices.map((o) => (
              <Text key={String(o.value)} className={`chip${choice === o.value ? ' chip--on' : ''}`} onClick={() => setChoice(o.value)}>
                {o.label}
              </Text>
            ))}
          </View>
          {choiceError ? <Text className='field__error'>{choiceError}</Text> : null}
          <LimitedInput className={`field__input ${props.name}-note`} value={note} maxlength={500} placeholder={props.placeholder(choice)} onChange={setNote} />
          {errors.note ? <Text className={`field__error ${props.name}-error-note`}>{errors.note}</Text> : null}
          {failure ? <Text className='field__error'>{failure}</Text> : null}
          <View className={`btn ${props.name}-submit`} onClick={() => void submit()}>
            提交
          </View>
        </View>
      ) : null}
    </View>
  );
}

/** A section of rows from a paged API list; a row dealt with leaves the list with a note of what was done. */
export function OnlineSection<T extends { id: string }>(props: {
  name: string;
  title: string;
  unit: string;
  note: string;
  empty: string;
  load: (cursor: string | null) => Promise<Page<T>>;
  row: (item: T, done: (text: string) => void) => ReactNode;
}) {
  const list = usePaged<T, Page<T>>(props.load);
  const [flash, setFlash] = useState<string | null>(null);
  const [doneCount, setDoneCount] = useState(0);
  const total = list.first.data ? Math.max(0, list.first.data.total - doneCount) : null;
  return (
    <View className={`section needs-${props.name}s`}>
      <View className='section__head'>
        <Text className='section__title'>{props.title}</Text>
        <Text className={`section__meta needs-${props.name}s-count`}>{total === null ? '' : `${total} ${props.unit}`}</Text>
      </View>
      <Text className='muted'>{props.note}（需联网）</Text>
      <Flash text={flash} name={`${props.name}-flash`} />
      <LoadState state={list.first} name={`${props.name}s`} offline='这部分需要联网' isEmpty={list.items.length === 0} empty={props.empty} />
      {list.items.map((item) => (
        <View key={item.id}>
          {props.row(item, (text) => {
            setFlash(text);
            setDoneCount((n) => n + 1);
            list.update((rows) => rows.filter((r) => r.id !== item.id));
          })}
        </View>
      ))}
      {list.cursor ? (
        <Text className={`section__retry ${props.name}s-more`} onClick={() => void list.more().catch((err: unknown) => setFlash(errorMessage(err)))}>
          更多 ›
        </Text>
      ) : null}
    </View>
  );
}

function followupRow(f: FollowupView, done: (text: string) => void) {
  return (
    <ActionRow<boolean>
      name='followup'
      main={
        <>
          <Text className='list-row__title followup-name'>{f.laborerName}</Text>
          <Text className='list-row__sub'>
            {f.employerName} · {f.postingTitle}
          </Text>
          <Text className='list-row__sub'>{followupDue(f)}</Text>
        </>
      }
      onMain={() => void Taro.navigateTo({ url: servicesRoute(f.laborerId, f.laborerName) })}
      openLabel='完成回访'
      choiceName='followup-still'
      choices={[
        { value: true, label: '仍在岗' },
        { value: false, label: '已离岗' },
      ]}
      placeholder={(still) => (still === false ? '离岗原因和现在的打算（必填）' : '回访情况（选填）')}
      validate={(stillEmployed, note) => followupErrors({ stillEmployed, note })}
      send={async (stillEmployed, note) => {
        await completeFollowup(f.id, { stillEmployed, note });
        return `${f.laborerName}：回访已完成（${stillEmployed ? '仍在岗' : '已离岗，将重新推荐岗位'}）`;
      }}
      onDone={done}
    />
  );
}

function correctionRow(c: CorrectionRequestView, done: (text: string) => void) {
  return (
    <ActionRow<'resolved' | 'rejected'>
      name='correction'
      main={
        <>
          <Text className='list-row__title correction-name'>
            {c.laborerName}：{correctionFieldsText(c.fields)}
          </Text>
          <Text className='list-row__sub correction-message'>{c.message}</Text>
          <Text className='list-row__sub'>{formatDateTime(c.createdAt)}</Text>
        </>
      }
      openLabel='处理'
      before={
        <Text className='hh-edit correction-edit' onClick={() => void Taro.navigateTo({ url: `${SURVEY_ROUTES.laborer}?id=${c.laborerId}` })}>
          先去修改登记信息 ›
        </Text>
      }
      choiceName='correction-result'
      choices={[
        { value: 'resolved', label: '已更正' },
        { value: 'rejected', label: '不予更正' },
      ]}
      placeholder={(status) => (status === 'rejected' ? '不予更正的原因（必填，本人能看到）' : '回复本人（选填）')}
      validate={(status, note) => resolutionErrors({ status, note })}
      send={async (status, note) => {
        await resolveCorrection(c.id, { status, note });
        return `${c.laborerName}的更正申请：${status === 'resolved' ? '已更正' : '不予更正'}`;
      }}
      onDone={done}
    />
  );
}

/** 稳岗回访: follow-ups due within the week in the officer's area. */
export function FollowupsSection() {
  return (
    <OnlineSection
      name='followup'
      title='稳岗回访'
      unit='人'
      note='上岗后第1、3、6个月，问问是否还在岗'
      empty='近期没有到期的回访'
      load={(cursor) => listFollowups({ status: 'due', cursor })}
      row={followupRow}
    />
  );
}

/** 更正申请: workers' open requests to correct their records, in the officer's area. */
export function CorrectionsSection() {
  return <OnlineSection name='correction' title='更正申请' unit='条' note='本人在小程序里提出的信息更正' empty='没有待处理的更正申请' load={(cursor) => listOpenCorrections(cursor)} row={correctionRow} />;
}
