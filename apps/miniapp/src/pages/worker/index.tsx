import { View } from '@tarojs/components';
import Notice from '../../components/notice';
import ProfileCard from '../../components/profile-card';
import { useHomeSession } from '../../hooks/use-home-session';
import { useMe } from '../../hooks/use-me';
import { HOME_ROUTES } from '../../services/routes';
import './index.scss';

/** Home of workers (劳动力): their profile; job recommendations come in a later version. */
export default function WorkerHome() {
  const session = useHomeSession(HOME_ROUTES.worker);
  const meState = useMe(session !== null);
  if (!session) return <View />;

  return (
    <View className='home'>
      <ProfileCard user={session.user} meState={meState} />
      <Notice title='岗位推荐即将上线'>
        下一版本将在这里推送为您匹配的岗位，您可以反馈感兴趣、已报名、不感兴趣或已上岗，还可以报名技能培训和返岗专车。
      </Notice>
    </View>
  );
}
