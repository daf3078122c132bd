export {
  causeMessage,
  type Notification,
  type NotificationKind,
  publishNotification,
  renderNotification,
} from './messages.js';
