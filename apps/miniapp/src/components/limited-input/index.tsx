import { Input, Text, Textarea, View } from '@tarojs/components';
import './index.scss';

type InputType = 'text' | 'number' | 'idcard' | 'digit';

export interface LimitedInputProps {
  /** The input's own classes (tests and styles find it by them). */
  className: string;
  value: string;
  /** The most characters the field takes; the counter shows it, and the input takes no more. */
  maxlength: number;
  onChange: (value: string) => void;
  type?: InputType;
  password?: boolean;
  placeholder?: string;
  disabled?: boolean;
  /** A Textarea instead of a one-line Input. */
  multiline?: boolean;
  onConfirm?: () => void;
}

/** How many characters of `limit` the value uses, as the input counts them. */
export function countText(value: string, limit: number): { used: number; isFull: boolean; text: string } {
  const used = value.length;
  return { used, isFull: used >= limit, text: `${used}/${limit}` };
}

/**
 * Every text input with a limit: the input, and beside it the count against the limit, so a long
 * text is never cut short without a word (the input takes no more than `maxlength`); at the limit
 * the count turns red and says so. In H5 the typed text is centred in the box, as in weapp.
 */
export default function LimitedInput(props: LimitedInputProps) {
  const count = countText(props.value, props.maxlength);
  const common = {
    value: props.value,
    maxlength: props.maxlength,
    disabled: props.disabled,
    placeholder: props.placeholder ?? '',
    onInput: (e: { detail: { value: string } }) => props.onChange(e.detail.value),
    onConfirm: props.onConfirm,
  };
  return (
    <View className='limited'>
      {props.multiline ? (
        <Textarea className={`${props.className} limited__textarea`} {...common} />
      ) : (
        <Input className={`${props.className} limited__input`} type={props.type ?? 'text'} password={props.password} {...common} />
      )}
      <View className={`limited__count${count.isFull ? ' limited__count--full' : ''}`}>
        {count.isFull ? <Text className='limited__full'>已到上限，最多{props.maxlength}字　</Text> : null}
        <Text className='limited__used'>{count.text}</Text>
      </View>
    </View>
  );
}
