import { Text, View } from '@tarojs/components';
import { useHomeSession } from '../../hooks/use-home-session';
import { HOME_ROUTES } from '../../services/routes';

/** Home of an employer contact (企业联系人): a placeholder until the employer pages land (task employer-ui). */
export default function EmployerHome() {
  useHomeSession(HOME_ROUTES.employer_contact);
  return (
    <View className="page">
      <Text>企业联系人</Text>
    </View>
  );
}
