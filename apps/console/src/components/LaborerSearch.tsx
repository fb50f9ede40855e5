import { useRef, useState } from 'react';
import { Select } from 'antd';
import { api } from '../api/client';

/** A laborer as `GET /lists/all` finds one: enough to tell two people of the same name apart, masked. */
export interface FoundLaborer {
  id: string;
  name: string;
  villageName: string | null;
  idNumberMasked: string;
  age: number;
}

const ID_NUMBER = /^[0-9]{17}[0-9Xx]$/;

/**
 * A laborer of the caller's area, found as staff type: by name, or by the full ID number (the list's exact
 * match); each option shows the village, the masked ID number and the age. The search is the real-name list's
 * own (its area rule and audit on the server); only the last answer is shown when typing outruns the network.
 */
export function LaborerSearch({ value, onChange, onFound, onError, className, placeholder = '输入姓名或完整身份证号查找本区域的劳动力', width = 380, id }: {
  value?: string;
  onChange?: (id: string) => void;
  /** Every answer's people (e.g. to show the chosen one beside the field). */
  onFound?: (people: FoundLaborer[]) => void;
  onError?: (err: unknown) => void;
  className?: string;
  placeholder?: string;
  width?: number;
  id?: string;
}) {
  const [options, setOptions] = useState<FoundLaborer[]>([]);
  const asked = useRef(0);
  function search(q: string) {
    const text = q.trim();
    if (!text) return;
    const n = ++asked.current;
    const query = ID_NUMBER.test(text) ? { idNumber: text.toUpperCase(), limit: 20 } : { q: text, limit: 20 };
    api.get<{ items: FoundLaborer[] }>('/lists/all', query).then(
      (r) => {
        if (n !== asked.current) return;
        setOptions(r.items);
        onFound?.(r.items);
      },
      (err: unknown) => n === asked.current && onError?.(err),
    );
  }
  return (
    <Select
      id={id}
      className={className}
      style={{ width }}
      showSearch
      filterOption={false}
      onSearch={search}
      placeholder={placeholder}
      notFoundContent={null}
      value={value}
      onChange={onChange}
      options={options.map((o) => ({ value: o.id, label: `${o.name}　${o.villageName ?? ''}　${o.idNumberMasked}　${o.age} 岁` }))}
    />
  );
}
