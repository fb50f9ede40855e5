import { Text, View } from '@tarojs/components';
import './index.scss';

interface NoticeProps {
  title: string;
  children: string;
}

/** A plain note about what this page does not do yet; never a stand-in for real data. */
export default function Notice({ title, children }: NoticeProps) {
  return (
    <View className='notice home-note'>
      <Text className='notice__title'>{title}</Text>
      <Text className='notice__body'>{children}</Text>
    </View>
  );
}
