export {
  causeMessage,
  type Notification,
  type NotificationKind,
  publishNotification,
  renderNotification,
} from './messages.js';
export { notifyNeeds } from './needs.js';
export { postNotificationToSlack, slackChannelOf } from './slack.js';
