import type { ReactNode } from 'react';
import { Button, Card, Form, Input, Select, Space } from 'antd';
import type { FormInstance } from 'antd';
import { RegionCascader } from './RegionCascader';

/** A code list (`{ code, label }[]` of packages/shared) as the options of a Select. */
export const codeOptions = (list: readonly { code: string; label: string }[]) => list.map((e) => ({ value: e.code, label: e.label }));

/** The chosen filters only: empty fields dropped, text trimmed, so a query carries only what was chosen. */
export function chosenFilters<T extends object>(values: T, fields: readonly (keyof T)[]): T {
  const out = {} as T;
  for (const k of fields) {
    const v = values[k];
    if (v !== undefined && v !== null && v !== '') out[k] = (typeof v === 'string' ? v.trim() : v) as T[keyof T];
  }
  return out;
}

/**
 * The filter bar of the console's lists (实名清单, 审计日志, 培训需求清单): an inline form whose fields come as
 * children (AreaFilter, KindFilter, TextFilter or any Form.Item), with 查询 and 重置; an edited field loses the
 * API's error shown beside it. `onSearch({})` after a reset.
 */
export function FilterBar<T extends object>({ form, onSearch, children, card = true }: { form: FormInstance<T>; onSearch: (values: T) => void; children: ReactNode; card?: boolean }) {
  const bar = (
    <Form<T>
      form={form}
      layout="inline"
      onFinish={onSearch}
      className={card ? undefined : 'filters'}
      onValuesChange={(changed: object) => form.setFields(Object.keys(changed).map((name) => ({ name: name as never, errors: [] })))}
    >
      {children}
      <Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            查询
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              onSearch({} as T);
            }}
          >
            重置
          </Button>
        </Space>
      </Form.Item>
    </Form>
  );
  return card ? (
    <Card size="small" className="filters">
      {bar}
    </Card>
  ) : (
    bar
  );
}

/** 区域: a region of the account's area (RegionCascader). */
export function AreaFilter({ name = 'regionCode', width = 240 }: { name?: string; width?: number }) {
  return (
    <Form.Item name={name} label="区域">
      <RegionCascader style={{ width }} />
    </Form.Item>
  );
}

/** A kind chosen from a list (a code list's options, or the caller's own), 全部 when none. */
export function KindFilter({ name, label, options, width = 150, searchable = false }: { name: string; label: string; options: { value: string; label: string }[]; width?: number; searchable?: boolean }) {
  return (
    <Form.Item name={name} label={label}>
      <Select allowClear style={{ width }} placeholder="全部" options={options} {...(searchable ? { showSearch: true, optionFilterProp: 'label' } : {})} />
    </Form.Item>
  );
}

/** Text the API searches for (a name's characters, an ID number). */
export function TextFilter({ name, label, placeholder, width = 120 }: { name: string; label: string; placeholder?: string; width?: number }) {
  return (
    <Form.Item name={name} label={label}>
      <Input allowClear placeholder={placeholder} style={{ width }} />
    </Form.Item>
  );
}
