/** `Client`: a `BaseClient` with the 21 sub-clients of the official client, created with it. */
import { BaseClient, type ClientConfig, type OAuth1Signer } from './base.js';
import {
  PostsClient, UsersClient, StreamClient, ListsClient, DirectMessagesClient, SpacesClient, MediaClient, ChatClient,
  BroadcastsClient, WebhooksClient, AccountActivityClient, ActivityClient, CommunityNotesClient, CommunitiesClient,
  ComplianceClient, ConnectionsClient, ArticlesClient, NewsClient, TrendsClient, UsageClient, GeneralClient,
} from './generated/index.js';

export class Client extends BaseClient {
  declare readonly posts: PostsClient;
  declare readonly users: UsersClient;
  declare readonly stream: StreamClient;
  declare readonly lists: ListsClient;
  declare readonly directMessages: DirectMessagesClient;
  declare readonly spaces: SpacesClient;
  declare readonly media: MediaClient;
  declare readonly chat: ChatClient;
  declare readonly broadcasts: BroadcastsClient;
  declare readonly webhooks: WebhooksClient;
  declare readonly accountActivity: AccountActivityClient;
  declare readonly activity: ActivityClient;
  declare readonly communityNotes: CommunityNotesClient;
  declare readonly communities: CommunitiesClient;
  declare readonly compliance: ComplianceClient;
  declare readonly connections: ConnectionsClient;
  declare readonly articles: ArticlesClient;
  declare readonly news: NewsClient;
  declare readonly trends: TrendsClient;
  declare readonly usage: UsageClient;
  declare readonly general: GeneralClient;

  constructor(config: ClientConfig | OAuth1Signer = {}) {
    super(config);
    // In the official order of the properties.
    this.posts = new PostsClient(this);
    this.users = new UsersClient(this);
    this.stream = new StreamClient(this);
    this.lists = new ListsClient(this);
    this.directMessages = new DirectMessagesClient(this);
    this.spaces = new SpacesClient(this);
    this.media = new MediaClient(this);
    this.chat = new ChatClient(this);
    this.broadcasts = new BroadcastsClient(this);
    this.webhooks = new WebhooksClient(this);
    this.accountActivity = new AccountActivityClient(this);
    this.activity = new ActivityClient(this);
    this.communityNotes = new CommunityNotesClient(this);
    this.communities = new CommunitiesClient(this);
    this.compliance = new ComplianceClient(this);
    this.connections = new ConnectionsClient(this);
    this.articles = new ArticlesClient(this);
    this.news = new NewsClient(this);
    this.trends = new TrendsClient(this);
    this.usage = new UsageClient(this);
    this.general = new GeneralClient(this);
  }
}
