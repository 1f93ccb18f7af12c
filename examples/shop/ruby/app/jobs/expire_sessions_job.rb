# Expires login sessions. The nightly sweep reads every partition; the per-customer one prunes to one.
class ExpireSessionsJob < ApplicationJob
  def perform(customer_id = nil)
    if customer_id
      SessionToken.where(customer_id: customer_id).delete_all # lockscope: site
    else
      SessionToken.where("expires_at < now()").delete_all # lockscope: site  lockscope: finding partition-without-pruning
    end
  end
end
