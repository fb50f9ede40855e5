import { useEffect, useRef, useState } from 'react';
import { Select, Spin } from 'antd';
import type { RegionDetail, RegionView } from '@jobbridge/shared';
import { api } from '../api/client';

const LEVELS: Record<string, string> = { province: '省', city: '市', county: '县', township: '乡镇', village: '村' };

/** The names along each region's path, looked up once per code (region names do not change while the console is open). */
const paths = new Map<string, Promise<string[] | null>>();

function regionPath(code: string): Promise<string[] | null> {
  let p = paths.get(code);
  if (!p) {
    p = api.get<RegionDetail>(`/regions/${code}`).then(
      (r) => r.path.map((x) => x.name),
      () => null,
    );
    paths.set(code, p);
  }
  return p;
}

/** "广西壮族自治区崇左市天等县": the names along a region's path, or null when the code is not a region. */
export async function regionPathName(code: string): Promise<string | null> {
  return (await regionPath(code))?.join('') ?? null;
}

/**
 * A region's name for a table cell: the last three names of its path at most, never the province alone
 * above them (天等县天等镇百灵村委会, 崇左市天等县, 广东省深圳市); the full path as its title.
 */
export function RegionName({ code }: { code: string | null | undefined }) {
  const [path, setPath] = useState<string[] | null>(null);
  useEffect(() => {
    let live = true;
    setPath(null);
    if (code) void regionPath(code).then((p) => live && setPath(p));
    return () => {
      live = false;
    };
  }, [code]);
  if (!code) return <>—</>;
  if (!path) return <>{code}</>;
  const short = path.slice(-Math.min(3, Math.max(path.length - 1, 1)));
  return <span title={`${path.join('')}（${code}）`}>{short.join('')}</span>;
}

interface Option {
  value: string;
  label: string;
}

/**
 * Any region of the country, found by typing part of its name (GET /regions?q=) or its code: for places
 * outside the account's own area (an employer in Jiangmen, work out of the province). The value is the code.
 */
export function RegionSelect({ value, onChange, placeholder, style, id }: { value?: string; onChange?: (code: string | undefined) => void; placeholder?: string; style?: React.CSSProperties; id?: string }) {
  const [options, setOptions] = useState<Option[]>([]);
  const [searching, setSearching] = useState(false);
  const seq = useRef(0);

  // The current value's option, so an edited record shows its region's name.
  useEffect(() => {
    if (!value || options.some((o) => o.value === value)) return;
    void regionPathName(value).then((n) => setOptions((o) => (o.some((x) => x.value === value) ? o : [{ value, label: `${n ?? '未知区域'}（${value}）` }, ...o])));
  }, [value, options]);

  async function search(text: string) {
    const q = text.trim();
    if (!q) return;
    const mine = ++seq.current;
    setSearching(true);
    try {
      const found: Option[] = [];
      if (/^\d{2,12}$/.test(q)) {
        const n = await regionPathName(q);
        if (n) found.push({ value: q, label: `${n}（${q}）` });
      } else {
        const { items } = await api.get<{ items: RegionView[] }>('/regions', { q, limit: 20 });
        const labelled = await Promise.all(items.map(async (r) => ({ value: r.code, label: `${(await regionPathName(r.code)) ?? r.name}（${LEVELS[r.level] ?? r.level}，${r.code}）` })));
        found.push(...labelled);
      }
      if (mine === seq.current) setOptions(found);
    } finally {
      if (mine === seq.current) setSearching(false);
    }
  }

  return (
    <Select
      id={id}
      showSearch
      allowClear
      value={value}
      placeholder={placeholder ?? '输入名称或区划代码查找'}
      style={style}
      filterOption={false}
      onSearch={(t) => void search(t)}
      notFoundContent={searching ? <Spin size="small" /> : '输入名称或区划代码查找'}
      options={options}
      onChange={(v) => onChange?.(v ?? undefined)}
    />
  );
}
