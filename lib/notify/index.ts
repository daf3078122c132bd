export {
  causeMessage,
  type Notification,
  type NotificationKind,
  publishNotification,
  renderNotification,
} from './messages.js';
export { postNotificationToSlack, slackChannelOf } from './slack.js';
