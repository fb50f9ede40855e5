import { useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import type { PostingView } from '@jobbridge/shared';
import { useLoad } from '../../../hooks/use-load';
import { formatWage, searchPostings } from '../../../services/jobs';

/** The supply list's open postings (GET /postings), searchable; a tap picks one as a job card. */
export default function JobPicker(props: { onPick: (p: PostingView) => void; onCancel?: () => void }) {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const page = useLoad(() => searchPostings({ q: query, limit: 20 }), true, query);
  return (
    <View className='chat-card job-picker'>
      <View className='job-picker__head'>
        <Text className='chat-card__title'>选择要发的岗位</Text>
        {props.onCancel ? (
          <Text className='chat-link job-picker-cancel' onClick={props.onCancel}>
            取消
          </Text>
        ) : null}
      </View>
      <View className='job-picker__search'>
        <Input className='chat-input job-picker-q' value={q} maxlength={40} placeholder='岗位名称或企业' onInput={(e) => setQ(e.detail.value)} onConfirm={() => setQuery(q)} />
        <Text className='chat-btn chat-btn--small job-picker-go' onClick={() => setQuery(q)}>
          搜索
        </Text>
      </View>
      {page.error ? <Text className='chat-error'>{page.error}</Text> : null}
      {!page.data && !page.error ? <Text className='chat-note'>正在加载…</Text> : null}
      {page.data && page.data.items.length === 0 ? <Text className='chat-note'>没有找到在招的岗位</Text> : null}
      {page.data?.items.map((p) => (
        <View key={p.id} className='job-picker__row job-pick' onClick={() => props.onPick(p)}>
          <Text className='job-picker__title'>{p.title}</Text>
          <Text className='job-picker__sub'>
            {p.employerName} · {formatWage(p.wageMin, p.wageMax)} · {p.workPlaceName}
          </Text>
        </View>
      ))}
    </View>
  );
}
