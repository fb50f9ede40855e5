import { Text, View } from '@tarojs/components';
import { DIRECTION_LABELS, type TripView } from '../services/transport';

/**
 * A trip's title with its direction beside it (返乡 or 外出务工, from the API's `direction`), as the console's
 * trip list marks a return trip: a title alone ("春节返乡专车") may say it or not.
 */
export default function TripTitle({ title, direction, className = 'tr-trip__title' }: { title: string; direction: TripView['direction']; className?: string }) {
  return (
    <View className='tr-title-row'>
      <Text className={className}>{title}</Text>
      <Text className={`tr-tag tr-direction tr-direction--${direction}`}>{DIRECTION_LABELS[direction]}</Text>
    </View>
  );
}
