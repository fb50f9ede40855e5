import { View } from '@tarojs/components';
import Notice from '../../components/notice';
import ProfileCard from '../../components/profile-card';
import { useHomeSession } from '../../hooks/use-home-session';
import { useMe } from '../../hooks/use-me';
import { HOME_ROUTES } from '../../services/routes';
import './index.scss';

/** Home of grid leaders: their profile; group management comes in a later version. */
export default function GridHome() {
  const session = useHomeSession(HOME_ROUTES.grid_leader);
  const meState = useMe(session !== null);
  if (!session) return <View />;

  return (
    <View className='home'>
      <ProfileCard user={session.user} meState={meState} />
      <Notice title='网格群管理即将上线'>
        下一版本将在这里管理本网格的群众群和企业群：查看成员、推送岗位和通知、回复群众咨询。
      </Notice>
    </View>
  );
}
