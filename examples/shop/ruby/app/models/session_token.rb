# Login sessions, hash-partitioned by customer_id (table sessions).
class SessionToken < ApplicationRecord
  self.table_name = "sessions"
  belongs_to :customer
end
