"""Words the synthetic shop is made of: departments, product nouns, brands, people, places."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Department:
    """A top-level category, its typical price in dollars and its leaf categories."""

    name: str
    median_price: float
    leaves: dict[str, tuple[str, ...]]


DEPARTMENTS: tuple[Department, ...] = (
    Department(
        "Electronics",
        120.0,
        {
            "Smartphones": ("Smartphone", "Phone", "Phone Case"),
            "Laptops": ("Laptop", "Notebook", "Ultrabook"),
            "Headphones": ("Headphones", "Earbuds", "Headset"),
            "Cameras": ("Camera", "Action Cam", "Lens"),
            "Smart Home": ("Smart Plug", "Thermostat", "Doorbell", "Speaker"),
            "Computer Accessories": ("Keyboard", "Mouse", "Charger", "Cable", "Monitor"),
        },
    ),
    Department(
        "Home & Kitchen",
        45.0,
        {
            "Cookware": ("Skillet", "Saucepan", "Dutch Oven", "Knife Set"),
            "Furniture": ("Desk", "Chair", "Bookshelf", "Side Table"),
            "Bedding": ("Duvet", "Pillow", "Sheet Set", "Blanket"),
            "Lighting": ("Lamp", "Pendant Light", "LED Strip"),
            "Storage": ("Storage Box", "Shelf", "Basket", "Organizer"),
            "Small Appliances": ("Blender", "Coffee Maker", "Toaster", "Air Fryer"),
        },
    ),
    Department(
        "Fashion",
        40.0,
        {
            "Women's Clothing": ("Dress", "Blouse", "Cardigan", "Skirt"),
            "Men's Clothing": ("Shirt", "Jacket", "Chinos", "Sweater"),
            "Shoes": ("Sneakers", "Boots", "Sandals", "Loafers"),
            "Bags": ("Backpack", "Tote", "Wallet", "Duffel"),
            "Jewelry": ("Necklace", "Ring", "Bracelet", "Earrings"),
            "Watches": ("Watch", "Chronograph", "Smartwatch Band"),
        },
    ),
    Department(
        "Beauty & Health",
        18.0,
        {
            "Skincare": ("Moisturizer", "Serum", "Cleanser", "Sunscreen"),
            "Makeup": ("Lipstick", "Mascara", "Foundation", "Palette"),
            "Hair Care": ("Shampoo", "Conditioner", "Hair Dryer", "Hair Oil"),
            "Fragrance": ("Eau de Parfum", "Cologne", "Body Mist"),
            "Vitamins": ("Multivitamin", "Protein Powder", "Omega-3"),
        },
    ),
    Department(
        "Sports & Outdoors",
        50.0,
        {
            "Fitness": ("Yoga Mat", "Dumbbell Set", "Resistance Band", "Kettlebell"),
            "Camping": ("Tent", "Sleeping Bag", "Lantern", "Camp Stove"),
            "Cycling": ("Bike Helmet", "Bike Light", "Jersey", "Pump"),
            "Team Sports": ("Football", "Basketball", "Shin Guards", "Jersey"),
            "Water Sports": ("Swim Goggles", "Wetsuit", "Paddle", "Snorkel Set"),
        },
    ),
    Department(
        "Toys & Games",
        25.0,
        {
            "Board Games": ("Board Game", "Card Game", "Strategy Game"),
            "Building Sets": ("Building Set", "Construction Kit", "Marble Run"),
            "Dolls & Figures": ("Doll", "Action Figure", "Plush Toy"),
            "Puzzles": ("Jigsaw Puzzle", "3D Puzzle", "Brain Teaser"),
            "Outdoor Play": ("Kite", "Scooter", "Water Blaster", "Swing"),
        },
    ),
    Department(
        "Books & Media",
        16.0,
        {
            "Fiction": ("Novel", "Thriller", "Short Stories"),
            "Non-Fiction": ("Biography", "Cookbook", "History Book"),
            "Children's Books": ("Picture Book", "Activity Book", "Bedtime Stories"),
            "Music": ("Vinyl Record", "CD", "Songbook"),
            "Movies": ("Blu-ray", "DVD Box Set", "Documentary"),
        },
    ),
    Department(
        "Grocery",
        9.0,
        {
            "Coffee & Tea": ("Coffee Beans", "Ground Coffee", "Green Tea", "Herbal Tea"),
            "Snacks": ("Granola Bars", "Trail Mix", "Crackers", "Dark Chocolate"),
            "Pantry": ("Olive Oil", "Pasta", "Honey", "Spice Set"),
            "Beverages": ("Sparkling Water", "Juice", "Kombucha", "Energy Drink"),
        },
    ),
)

ADJECTIVES: tuple[str, ...] = (
    "Classic", "Compact", "Deluxe", "Eco", "Essential", "Premium", "Pro", "Smart", "Ultra",
    "Vintage", "Modern", "Everyday", "Portable", "Signature", "Lightweight", "Heavy-Duty",
    "Organic", "Wireless", "Urban", "Nordic", "Rustic", "Sport", "Travel", "Mini", "Max",
    "Elite", "Original", "Soft", "Bold", "Quiet", "Rapid", "Natural", "Studio", "Family",
    "Heritage", "Active", "Comfort", "Fresh", "Royal", "Coastal",
)  # fmt: skip

BRAND_STARTS: tuple[str, ...] = (
    "Al", "Bel", "Cor", "Dav", "El", "Fen", "Gal", "Har", "Ist", "Jun", "Kel", "Lum", "Mar",
    "Nor", "Or", "Pel", "Quin", "Ros", "Sol", "Tor", "Ul", "Ver", "Wil", "Zen",
)  # fmt: skip

BRAND_ENDS: tuple[str, ...] = (
    "ara", "ex", "ora", "ix", "ton", "vale", "wood", "ly", "co", "io", "um", "ent", "ova",
    "ist", "ark", "era",
)  # fmt: skip

FEMALE_FIRST_NAMES: tuple[str, ...] = (
    "Olivia", "Emma", "Ava", "Sophia", "Isabella", "Mia", "Amelia", "Harper", "Evelyn",
    "Abigail", "Emily", "Ella", "Elizabeth", "Camila", "Luna", "Sofia", "Avery", "Mila",
    "Aria", "Scarlett", "Penelope", "Layla", "Chloe", "Victoria", "Madison", "Eleanor",
    "Grace", "Nora", "Riley", "Zoey", "Hannah", "Hazel", "Lily", "Ellie", "Violet", "Lucy",
    "Aurora", "Anna", "Maya", "Priya", "Fatima", "Mei", "Yuki", "Ana", "Chiara", "Ingrid",
)  # fmt: skip

MALE_FIRST_NAMES: tuple[str, ...] = (
    "Liam", "Noah", "Oliver", "Elijah", "James", "William", "Benjamin", "Lucas", "Henry",
    "Theodore", "Jack", "Levi", "Alexander", "Jackson", "Mateo", "Daniel", "Michael",
    "Mason", "Sebastian", "Ethan", "Logan", "Owen", "Samuel", "Jacob", "Asher", "Aiden",
    "John", "Joseph", "Wyatt", "David", "Leo", "Luke", "Julian", "Hudson", "Grayson",
    "Matthew", "Ezra", "Gabriel", "Arjun", "Omar", "Wei", "Kenji", "Diego", "Marco", "Lars",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
    "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
    "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young",
    "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
    "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter",
    "Roberts", "Patel", "Kim", "Chen", "Singh", "Khan", "Rossi", "Muller", "Larsen",
    "Kowalski", "Okafor",
)  # fmt: skip

REGIONS: tuple[str, ...] = (
    "Northeast", "Mid-Atlantic", "Southeast", "Midwest", "South Central", "Mountain",
    "Pacific Northwest", "California",
)  # fmt: skip

REGION_WEIGHTS: tuple[float, ...] = (0.16, 0.14, 0.15, 0.15, 0.12, 0.06, 0.07, 0.15)

EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.net", "example.org", "mail.example")
