import { Foundation1795314686568 } from './1795314686568-Foundation';
import { SurveyRecords1795316651597 } from './1795316651597-SurveyRecords';
import { ListSortIndexes1795319391545 } from './1795319391545-ListSortIndexes';
import { JobsAndRecommendations1795333711128 } from './1795333711128-JobsAndRecommendations';
import { AccountAndBindingGuards1796124316199 } from './1796124316199-AccountAndBindingGuards';
import { IdNumberMatches1796200000000 } from './1796200000000-IdNumberMatches';
import { AwaitingContact1796210000000 } from './1796210000000-AwaitingContact';
import { ChatGroups1796224000000 } from './1796224000000-ChatGroups';
import { DashboardAggregates1796300000000 } from './1796300000000-DashboardAggregates';
import { DashboardTownshipFigures1796310000000 } from './1796310000000-DashboardTownshipFigures';
import { DashboardCoverageRollup1796320000000 } from './1796320000000-DashboardCoverageRollup';
import { DashboardSeekerReferrals1796330000000 } from './1796330000000-DashboardSeekerReferrals';
import { ChatBroadcasts1796420000000 } from './1796420000000-ChatBroadcasts';
import { EmployerContacts1796430000000 } from './1796430000000-EmployerContacts';
import { DashboardChatGroups1796440000000 } from './1796440000000-DashboardChatGroups';
import { DashboardReconcile1796450000000 } from './1796450000000-DashboardReconcile';
import { Training1796500000000 } from './1796500000000-Training';
import { Transport1796510000000 } from './1796510000000-Transport';
import { RightsCases1796520000000 } from './1796520000000-RightsCases';
import { Subsidies1796530000000 } from './1796530000000-Subsidies';
import { RightsForeignKeys1796900000000 } from './1796900000000-RightsForeignKeys';
import { MatchingByCounty1796950000000 } from './1796950000000-MatchingByCounty';
import { FeedByArea1797000000000 } from './1797000000000-FeedByArea';
import { MonthlyPartitions1797100000000 } from './1797100000000-MonthlyPartitions';
import { MatchThresholds1797105000000 } from './1797105000000-MatchThresholds';
import { MonthKeyGate1797110000000 } from './1797110000000-MonthKeyGate';
import { MatchPicks1797120000000 } from './1797120000000-MatchPicks';
import { MatchPicksFrozen1797130000000 } from './1797130000000-MatchPicksFrozen';
import { ListFilterIndex1797140500000 } from './1797140500000-ListFilterIndex';

/** Every migration in order; `npm run db:generate -w @jobbridge/api -- Name` writes new ones. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
export const MIGRATIONS: Function[] = [
  Foundation1795314686568,
  SurveyRecords1795316651597,
  ListSortIndexes1795319391545,
  JobsAndRecommendations1795333711128,
  AccountAndBindingGuards1796124316199,
  IdNumberMatches1796200000000,
  AwaitingContact1796210000000,
  ChatGroups1796224000000,
  DashboardAggregates1796300000000,
  DashboardTownshipFigures1796310000000,
  DashboardCoverageRollup1796320000000,
  DashboardSeekerReferrals1796330000000,
  ChatBroadcasts1796420000000,
  EmployerContacts1796430000000,
  DashboardChatGroups1796440000000,
  DashboardReconcile1796450000000,
  Training1796500000000,
  Transport1796510000000,
  RightsCases1796520000000,
  Subsidies1796530000000,
  RightsForeignKeys1796900000000,
  MatchingByCounty1796950000000,
  FeedByArea1797000000000,
  MonthlyPartitions1797100000000,
  MatchThresholds1797105000000,
  MonthKeyGate1797110000000,
  MatchPicks1797120000000,
  MatchPicksFrozen1797130000000,
  ListFilterIndex1797140500000,
];
