# A shop customer (table customers).
class Customer < ApplicationRecord
  has_many :sessions
end
