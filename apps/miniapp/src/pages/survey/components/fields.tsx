import type { ReactNode } from 'react';
import { Picker, Text, View } from '@tarojs/components';
import { chinaDate, type CodeEntry } from '@jobbridge/shared';
import { formatDateTime } from '../../../services/format';
import LimitedInput from '../../../components/limited-input';

/** A labelled form row with its inline error (class `lf-error-<name>`). */
export function Field(props: { name: string; label: string; required?: boolean; error?: string | null; hint?: ReactNode; children: ReactNode }) {
  return (
    <View className={`field field-${props.name}`}>
      <Text className='field__label'>
        {props.label}
        {props.required ? <Text className='field__required'> *</Text> : null}
      </Text>
      {props.children}
      {props.hint ? <View className='field__hint'>{props.hint}</View> : null}
      {props.error ? <Text className={`field__error lf-error-${props.name}`}>{props.error}</Text> : null}
    </View>
  );
}

type InputType = 'text' | 'number' | 'idcard' | 'digit';

/** A text input row, with the count against its limit beside it. */
export function TextField(props: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  error?: string | null;
  placeholder?: string;
  type?: InputType;
  maxlength?: number;
  disabled?: boolean;
  hint?: ReactNode;
}) {
  return (
    <Field name={props.name} label={props.label} required={props.required} error={props.error} hint={props.hint}>
      <LimitedInput
        className={`field__input lf-${props.name}`}
        value={props.value}
        type={props.type ?? 'text'}
        maxlength={props.maxlength ?? 140}
        disabled={props.disabled}
        placeholder={props.placeholder}
        onChange={props.onChange}
      />
    </Field>
  );
}

/**
 * A date, picked (Taro's Picker mode="date": WeChat's wheel, and the same wheel in H5), never typed.
 * Opens at the value, or at `end` (today by default); an optional date can be cleared.
 */
export function DateField(props: { name: string; label: string; value: string; onChange: (value: string) => void; required?: boolean; error?: string | null; start?: string; end?: string }) {
  const end = props.end ?? chinaDate(new Date());
  return (
    <Field name={props.name} label={props.label} required={props.required} error={props.error}>
      <View className='date-row'>
        <Picker className='date-row__picker' mode='date' value={props.value || end} start={props.start ?? '1950-01-01'} end={end} onChange={(e) => props.onChange(String(e.detail.value))}>
          <View className={`field__input date-input lf-${props.name}`}>
            <Text className={props.value ? 'date-input__value' : 'date-input__placeholder'}>{props.value || '点此选择日期'}</Text>
          </View>
        </Picker>
        {props.value && !props.required ? (
          <Text className={`date-row__clear lf-${props.name}-clear`} onClick={() => props.onChange('')}>
            清除
          </Text>
        ) : null}
      </View>
    </Field>
  );
}

/** One choice from a code list, as tappable chips (works the same in WeChat and H5, one tap per answer). */
export function ChoiceField<C extends string | number>(props: {
  name: string;
  label: string;
  options: readonly CodeEntry<C>[];
  value: C | null;
  onChange: (value: C | null) => void;
  required?: boolean;
  error?: string | null;
}) {
  return (
    <Field name={props.name} label={props.label} required={props.required} error={props.error}>
      <View className={`chips choice-${props.name}`}>
        {props.options.map((o) => (
          <Text
            key={String(o.code)}
            className={`chip${props.value === o.code ? ' chip--on' : ''}`}
            onClick={() => props.onChange(props.value === o.code && !props.required ? null : o.code)}
          >
            {o.label}
          </Text>
        ))}
      </View>
    </Field>
  );
}

/** Several choices from a code list. */
export function MultiChoiceField(props: {
  name: string;
  label: string;
  options: readonly CodeEntry<string>[];
  value: string[];
  onChange: (value: string[]) => void;
  error?: string | null;
  exclusive?: string;
}) {
  const toggle = (code: string) => {
    if (props.value.includes(code)) props.onChange(props.value.filter((c) => c !== code));
    else if (props.exclusive && code === props.exclusive) props.onChange([code]);
    else props.onChange([...props.value.filter((c) => c !== props.exclusive), code]);
  };
  return (
    <Field name={props.name} label={props.label} error={props.error}>
      <View className={`chips choice-${props.name}`}>
        {props.options.map((o) => (
          <Text key={o.code} className={`chip${props.value.includes(o.code) ? ' chip--on' : ''}`} onClick={() => toggle(o.code)}>
            {o.label}
          </Text>
        ))}
      </View>
    </Field>
  );
}

/** 是 / 否. */
export function YesNoField(props: { name: string; label: string; value: boolean; onChange: (v: boolean) => void; error?: string | null }) {
  return (
    <Field name={props.name} label={props.label} error={props.error}>
      <View className={`chips choice-${props.name}`}>
        <Text className={`chip${props.value ? ' chip--on' : ''}`} onClick={() => props.onChange(true)}>
          是
        </Text>
        <Text className={`chip${!props.value ? ' chip--on' : ''}`} onClick={() => props.onChange(false)}>
          否
        </Text>
      </View>
    </Field>
  );
}

/** `2025-01-05 14:30` in China time, for sync times and visits. */
export function formatTime(at: number | string | null | undefined): string {
  return at === null || at === undefined ? '从未' : formatDateTime(at);
}
