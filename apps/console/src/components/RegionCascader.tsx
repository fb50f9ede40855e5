import { useEffect, useState } from 'react';
import { Cascader } from 'antd';
import type { RegionView } from '@jobbridge/shared';
import { api } from '../api/client';
import { useSession } from '../auth/session';

interface Option {
  value: string;
  label: string;
  isLeaf: boolean;
  children?: Option[];
}

const toOption = (r: RegionView): Option => ({ value: r.code, label: r.name, isLeaf: r.level === 'village' });

/**
 * The region cascade from the account's own area down (children loaded when opened, from
 * /regions/:code/children); an admin without an area starts at the provinces. The value is the code of
 * the deepest region chosen, or undefined for the whole area.
 */
export function RegionCascader({ value, onChange, placeholder, style }: { value?: string; onChange?: (code: string | undefined) => void; placeholder?: string; style?: React.CSSProperties }) {
  const { me } = useSession();
  const [options, setOptions] = useState<Option[]>([]);
  const [path, setPath] = useState<string[]>([]);

  useEffect(() => {
    const own = me?.region;
    if (own) setOptions([{ value: own.code, label: own.name, isLeaf: own.level === 'village' }]);
    else void api.get<{ items: RegionView[] }>('/regions').then((r) => setOptions(r.items.map(toOption)));
  }, [me]);

  useEffect(() => {
    if (!value) setPath([]);
  }, [value]);

  async function loadData(selected: Option[]) {
    const target = selected[selected.length - 1];
    const { items } = await api.get<{ items: RegionView[] }>(`/regions/${target.value}/children`);
    target.children = items.map(toOption);
    if (!items.length) target.isLeaf = true;
    setOptions((o) => [...o]);
  }

  return (
    <Cascader
      style={style}
      options={options}
      loadData={(s) => void loadData(s as Option[])}
      changeOnSelect
      value={path}
      placeholder={placeholder ?? '全部区域'}
      onChange={(v) => {
        const codes = (v ?? []) as string[];
        setPath(codes);
        onChange?.(codes.length ? codes[codes.length - 1] : undefined);
      }}
    />
  );
}
